import { describe, expect, it } from 'vitest';
import { bytes, duration, errorPosition, msToSeconds, progressView, resultLabel, secondsToMs } from './format';

describe('units for people', () => {
  it.each([
    [12.4, '12 ms'],
    [999, '999 ms'],
    [1234, '1.2 s'],
    [30000, '30 s'],
    [300000, '5 min'],
    [90 * 60000, '1 h 30 min'],
  ])('duration(%s) = %s', (ms, want) => expect(duration(ms)).toBe(want));

  it.each([
    [512, '512 B'],
    [65536, '64 KiB'],
    [1048576, '1 MiB'],
    [1.5 * 1073741824, '1.5 GiB'],
  ])('bytes(%s) = %s', (n, want) => expect(bytes(n)).toBe(want));

  it('seconds in fields, milliseconds in settings', () => {
    expect(secondsToMs('')).toBe(0);
    expect(secondsToMs('30')).toBe(30000);
    expect(secondsToMs('1.5')).toBe(1500);
    expect(secondsToMs('-1')).toBeNaN();
    expect(msToSeconds(0)).toBe('');
    expect(msToSeconds(120000)).toBe('120');
    expect(msToSeconds(1500)).toBe('1.5');
  });
});

describe('one vocabulary for results', () => {
  it('says Success or Error with the type', () => {
    expect(resultLabel('success')).toEqual({ ok: true, text: 'Success' });
    expect(resultLabel('error', 'permission')).toEqual({ ok: false, text: 'Error · permission' });
    expect(resultLabel('error')).toEqual({ ok: false, text: 'Error' });
  });
});

describe('install progress', () => {
  it('shows the same percent in the bar and the text', () => {
    const v = progressView({ phase: 'download', done: 12.1 * 1048576, total: 40.3 * 1048576, percent: 30.02, bytesPerSecond: 0 });
    expect(v.percent).toBe(30);
    expect(v.text).toBe('Downloading: 12.1 of 40.3 MB (30%)');
  });
  it('has no percent while the size is unknown, so the bar is indeterminate', () => {
    expect(progressView({ phase: 'download', done: 0, total: -1, percent: -1, bytesPerSecond: 0 }).percent).toBeUndefined();
    expect(progressView({ phase: 'resolve', done: 0, total: -1, percent: -1, bytesPerSecond: 0 }).percent).toBeUndefined();
  });
  it('starts at 0%, not at a made-up width', () => {
    const v = progressView({ phase: 'download', done: 0, total: 40.3 * 1048576, percent: 0, bytesPerSecond: 0 });
    expect(v).toEqual({ percent: 0, text: 'Downloading: 0.0 of 40.3 MB (0%)' });
  });
});

describe('error positions', () => {
  it('finds code.ts:L:C in a message or stack', () => {
    expect(errorPosition('TypeError: bad 1\n    at f (code.ts:1:23)\n    at code.ts:2:1')).toEqual({ line: 1, column: 23 });
    expect(errorPosition('SyntaxError: Expected ";" at code.ts:3:9')).toEqual({ line: 3, column: 9 });
    expect(errorPosition('NotCapable: Requires read access')).toBeUndefined();
    expect(
      errorPosition(
        'Traceback (most recent call last):\n  File "<code>", line 4, in <module>\n  File "<code>", line 2, in f\nZeroDivisionError: division by zero',
      ),
    ).toEqual({ line: 2, column: 1 });
    expect(errorPosition('  File "<code>", line 3\n    x = (\nSyntaxError: \'(\' was never closed')).toEqual({ line: 3, column: 1 });
  });
});
