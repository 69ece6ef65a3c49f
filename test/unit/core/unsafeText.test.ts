import * as assert from 'node:assert/strict';
import { BIDI_CONTROLS, classOf, firstUnsafeChar, GUARDED_CLASSES, withoutBidiControls } from '../../../src/core/completion/unsafeText';

/** Issue 17, item 2: which characters a suggestion may hold, by class. */

const BIDI_CODE_POINTS = [0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069, 0x200e, 0x200f, 0x061c];

/** One character of each guarded class (the brief's list and the rest of unsafeText.ts). */
const SAMPLES: Record<string, number[]> = {
  'control character': [0x00, 0x1b, 0x7f, 0x85, 0x9f],
  'zero-width character': [0x200b, 0x200c, 0x200d, 0x2060, 0xfeff],
  'soft hyphen': [0x00ad],
  'tag character': [0xe0000, 0xe0041, 0xe007f],
  'variation selector': [0xfe00, 0xfe0f, 0xe0100, 0xe01ef],
  'Hangul filler': [0x115f, 0x1160, 0x3164, 0xffa0],
  'invisible mark': [0x034f, 0x17b4],
  'unusual space': [0x00a0, 0x2002, 0x200a, 0x2028, 0x202f, 0x3000],
  'combining mark': [0x0301, 0x20dd],
  'Cyrillic letter': [0x0430, 0x0435, 0x043e, 0x0440, 0x0441, 0x0455, 0x0456],
  'Greek letter': [0x03bf, 0x0391, 0x03b1],
  'Armenian letter': [0x0585, 0x0578],
  'Cherokee letter': [0x13aa],
  'fullwidth ASCII': [0xff41, 0xff21],
  'letterlike symbol': [0x212a, 0x2160],
  'mathematical letter': [0x1d41a, 0x1d5ba],
  'right-to-left letter': [0x05d0, 0x0627],
  'private-use character': [0xe000, 0xf8ff, 0x100000],
};

describe('unsafe text: bidi controls', () => {
  for (const codePoint of BIDI_CODE_POINTS) {
    const char = String.fromCodePoint(codePoint);
    it(`refuses U+${hex(codePoint)} even when the trusted text holds it`, () => {
      assert.equal(classOf(char), BIDI_CONTROLS);
      assert.equal(firstUnsafeChar(`ab${char}cd`, [`x${char}y`])?.index, 2);
    });
  }

  it('withoutBidiControls removes all of them and leaves other text as it was', () => {
    const text = BIDI_CODE_POINTS.map((codePoint) => `a${String.fromCodePoint(codePoint)}`).join('');
    assert.equal(withoutBidiControls(text), 'a'.repeat(BIDI_CODE_POINTS.length));
    const clean = 'plain \u200b text';
    assert.equal(withoutBidiControls(clean), clean);
  });
});

describe('unsafe text: invisible and confusable classes', () => {
  it('has a sample for every class', () => {
    assert.deepEqual(GUARDED_CLASSES.map((entry) => entry.name).sort(), Object.keys(SAMPLES).sort());
  });

  for (const [name, codePoints] of Object.entries(SAMPLES)) {
    for (const codePoint of codePoints) {
      const char = String.fromCodePoint(codePoint);
      it(`${name} U+${hex(codePoint)}: refused in an ASCII document, allowed when the document holds one of its class`, () => {
        assert.equal(classOf(char)?.name, name);
        assert.deepEqual(firstUnsafeChar(`id${char}x`, ['const a = 1;\n', 'b();']), { index: 2, characterClass: classOf(char) });
        const other = String.fromCodePoint(codePoints[codePoints.length - 1 - codePoints.indexOf(codePoint)]);
        assert.equal(firstUnsafeChar(`id${char}x`, ['const a = 1;\n', `// ${other}`]), undefined);
      });
    }
  }

  it('leaves ASCII code, tabs, line breaks and ordinary non-ASCII text alone', () => {
    const text = 'const caf\u00e9 = "na\u00efve \u00e9t\u00e9 \u4e2d\u6587 \u2764 \u2014 \u2192";\r\n\tx();';
    assert.equal(firstUnsafeChar(text, []), undefined);
  });

  it('judges each class by itself: Greek in the document does not allow Cyrillic', () => {
    assert.equal(firstUnsafeChar('\u03c0 + \u0430', ['\u03c0'])?.index, 4);
  });
});

function hex(codePoint: number): string {
  return codePoint.toString(16).toUpperCase().padStart(4, '0');
}
