import { describe, expect, it } from 'vitest';
import { echo } from '../../src/advisor/echo.js';

describe('echo', () => {
  it('quotes hostile text harmlessly: no mentions, pings, links or code-span breakouts', () => {
    expect(echo('<!channel> <@U123> <https://evil.example|click>')).toBe(
      '&lt;!channel&gt; &lt;@U123&gt; &lt;https://evil.example|click&gt;',
    );
    expect(echo('x` *bold* `y')).toBe('xʼ *bold* ʼy');
    expect(echo('a & b')).toBe('a &amp; b');
    expect(echo('line\nbreak\u0000\u0007')).toBe('line break');
  });

  it('clips to the limit by characters, never splitting a pair of UTF-16 units', () => {
    expect(echo('😀'.repeat(100), 10)).toBe(`${'😀'.repeat(9)}…`);
    expect(echo('short', 10)).toBe('short');
  });

  it('takes Slack’s longest message in one pass', () => {
    const started = performance.now();
    expect(echo('<'.repeat(40_000), 60)).toBe(`${'&lt;'.repeat(59)}…`);
    // Not a speed target: a bound that only a super-linear pass would break.
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
