import type { Settings } from '../../core/settings';
import type { CompletionStats } from '../../core/stats';
import type { PromptHistory } from '../../core/prompts/promptHistory';
import type { StatsView } from '../statsView';
import type { CommandEngine } from './commandEngine';
import type { GenerationRunner } from './generationRunner';

/** What the command handlers share; built once in registerCommands. */
export interface CommandDeps {
  readonly stats: CompletionStats;
  readonly engine: CommandEngine;
  readonly runner: GenerationRunner;
  readonly history: PromptHistory;
  readonly statsView: StatsView;
  readonly settings: () => Settings;
}
