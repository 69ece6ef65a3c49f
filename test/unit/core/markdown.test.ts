import * as assert from 'node:assert/strict';
import { escapeMarkdown, tooltipMarkdown } from '../../../src/core/markdown';

/** Issue 17, item 6: the status bar's tooltip shows folder names and errors as text, never as Markdown. */

// A CommonMark renderer (a dependency of @vscode/vsce), with HTML and autolinks on: stricter than VS Code's tooltips.
const MarkdownIt = require('markdown-it') as new (options: object) => { render(source: string): string };
const markdown = new MarkdownIt({ html: true, linkify: true });

function htmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const HOSTILE = [
  '/home/me/models/[click me](command:workbench.action.openSettings)',
  '![x](https://example.com/track.png)',
  '**bold** _em_ `code` ~~strike~~',
  '# heading',
  '<img src=x onerror=alert(1)>',
  'see https://example.com and www.example.com',
  '1. list | table | `x`',
  'C:\\Users\\me\\models\\lgc-small',
  '$(gear) codicon &amp; entity',
];

describe('escapeMarkdown', () => {
  for (const text of HOSTILE) {
    it(`shows ${JSON.stringify(text)} as plain text`, () => {
      assert.equal(markdown.render(escapeMarkdown(text)).trim(), `<p>${htmlText(text)}</p>`);
    });
  }

  it('keeps an error message on one line', () => {
    assert.equal(escapeMarkdown('first line\n\n    second'), 'first line second');
  });

  it('leaves letters, digits, spaces and non-ASCII text alone', () => {
    assert.equal(escapeMarkdown('lgc small 2 caf\u00e9'), 'lgc small 2 caf\u00e9');
  });
});

describe('status bar tooltip Markdown', () => {
  it('shows a hostile model folder and error text as they are, with the title in bold', () => {
    const plain = [
      'Local GPT: Cannot run /m/[x](command:workbench.action.reloadWindow)/onnx/model.onnx: *broken*',
      '',
      'Model folder: /m/<img src=x>/![t](https://e.example/t.png)',
      'Click for details and what to do.',
    ].join('\n');
    const html = markdown.render(tooltipMarkdown(plain));
    assert.ok(!/<a |<img|<em>|<h1>/.test(html), html);
    assert.ok(html.startsWith('<p><strong>Local GPT</strong>: Cannot run /m/[x](command:workbench.action.reloadWindow)/onnx/model.onnx: *broken*</p>'), html);
    assert.ok(html.includes('Model folder: /m/&lt;img src=x&gt;/![t](https://e.example/t.png)<br>'), html);
  });
});
