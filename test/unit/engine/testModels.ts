/**
 * Model folders the engine tests run on. Tests are bundled to out/test/unit/<dir>/, so the
 * repository root is four levels up. Folders that do not exist yet (the default model is produced
 * by the model pipeline later) are left out, and tests on them are skipped.
 * LGC_TEST_MODELS (paths separated by ':') adds folders, e.g. a model from the pipeline's work dir.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ModelDtype } from '../../../src/engine/modelFolder';

export const repoRoot = findRepoRoot(__dirname);
export const wasmDir = path.join(repoRoot, 'node_modules', 'onnxruntime-web', 'dist');
/** Fixed for the whole mocha process: ort-web cannot change its thread pool once created. */
export const testThreads = 2;

export interface TestModel {
  readonly name: string;
  readonly dir: string;
  readonly dtype: Exclude<ModelDtype, 'auto'>;
}

function findRepoRoot(start: string): string {
  for (let dir = start; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'src', 'engine'))) return dir;
  }
  throw new Error(`No repository root above ${start}`);
}

const QUANTIZED = 'onnx/model_quantized.onnx';
const FULL = 'onnx/model.onnx';

function variants(name: string, dir: string): TestModel[] {
  const found: TestModel[] = [];
  if (fs.existsSync(path.join(dir, QUANTIZED))) found.push({ name: `${name} q8`, dir, dtype: 'q8' });
  if (fs.existsSync(path.join(dir, FULL))) found.push({ name: `${name} fp32`, dir, dtype: 'fp32' });
  return found;
}

/** The trained fixture model (Llama-style, GQA) and the default model, when present. */
export function projectModels(): TestModel[] {
  const extra = (process.env.LGC_TEST_MODELS ?? '').split(':').filter((dir) => dir.length > 0);
  return [
    ...variants('lgc-fixture', path.join(repoRoot, 'models', 'lgc-fixture')),
    ...variants('lgc-small', path.join(repoRoot, 'models', 'lgc-small')),
    ...extra.flatMap((dir) => variants(path.basename(dir), dir)),
  ];
}

/** Tiny random GPT-2-style exports (test/fixtures/make_tiny_gpt2.py). */
export function gpt2Fixtures(): TestModel[] {
  return ['with-positions', 'no-positions', 'merged'].flatMap((variant) =>
    variants(`tiny-gpt2 ${variant}`, path.join(repoRoot, 'test', 'fixtures', 'tiny-gpt2', variant)),
  );
}

/** The model the behaviour tests (KV reuse, cancel, errors) use: the fixture, else anything found. */
export function primaryModel(): TestModel | undefined {
  const models = projectModels();
  return models.find((model) => model.dtype === 'fp32') ?? models[0] ?? gpt2Fixtures()[0];
}

/** 24 code prompts in the languages the model was trained on. */
export const CODE_PROMPTS: readonly string[] = [
  'function add(a, b) {\n  return',
  'const numbers = [1, 2, 3, 4];\nconst doubled = numbers.map(',
  'import * as fs from "node:fs";\n\nexport function readJson(file: string) {\n',
  'def fibonacci(n):\n    if n < 2:\n        return n\n    return',
  'class Stack {\n  constructor() {\n    this.items = [];\n  }\n\n  push(item) {\n',
  'for (let i = 0; i < 10; i++) {\n  console.log(',
  'export interface User {\n  id: number;\n  name: string;\n',
  '// Returns the largest value in the array.\nfunction max(values) {\n',
  'async function fetchJson(url) {\n  const response = await fetch(url);\n',
  'import os\nimport sys\n\n\ndef main():\n    args = sys.argv[1:]\n',
  'const express = require("express");\nconst app = express();\n\napp.get("/", (req, res) => {\n',
  'if (error) {\n  throw new Error(',
  'let total = 0;\nfor (const item of items) {\n  total +=',
  'export default {\n  name: "app",\n  data() {\n    return {\n',
  'def read_lines(path):\n    with open(path) as f:\n',
  'const result = await Promise.all(files.map(async (file) => {\n',
  'switch (action.type) {\n  case "add":\n',
  'type Point = { x: number; y: number };\n\nfunction distance(a: Point, b: Point): number {\n',
  'describe("sum", () => {\n  it("adds numbers", () => {\n    expect(sum(1, 2)).',
  '#!/usr/bin/env node\n"use strict";\n\nconst path = require("path");\n',
  'public static void main(String[] args) {\n    System.out.',
  'SELECT name, count(*) FROM users WHERE',
  '  return items.filter((item) => item.',
  'é 😀 ünïcödé = "世界";\nconsole.log(',
];
