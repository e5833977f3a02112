// Numbers and words as people read them: durations, sizes, results,
// install progress, error positions. Pure functions, unit-tested.

/** A duration for people: "850 ms", "1.2 s", "30 s", "5 min", "1 h 30 min". */
export function duration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 10) return `${trim(s.toFixed(1))} s`;
  if (s < 120) return `${Math.round(s)} s`;
  const min = s / 60;
  if (min < 60) return `${trim(min.toFixed(min < 10 ? 1 : 0))} min`;
  const h = Math.floor(min / 60);
  const rest = Math.round(min - h * 60);
  return rest ? `${h} h ${rest} min` : `${h} h`;
}

/** A size in binary units: "512 B", "64 KiB", "1 MiB", "1.5 GiB". */
export function bytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : trim(v.toFixed(v < 10 ? 1 : 0))} ${units[i]}`;
}

function trim(s: string): string {
  return s.replace(/\.0$/, '');
}

/** A run's result in one vocabulary: "Success", or "Error" with its type. */
export function resultLabel(status: string, errorType?: string): { ok: boolean; text: string } {
  if (status === 'success') return { ok: true, text: 'Success' };
  return { ok: false, text: errorType ? `Error · ${errorType}` : 'Error' };
}

/** When a run happened, short: the time today, the date and time before. */
export function when(iso: string, now = new Date()): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  const sameDay = d.toDateString() === now.toDateString();
  const time = d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  if (sameDay) return time;
  return `${d.toLocaleDateString([], { month: 'short', day: 'numeric' })}, ${d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}`;
}

/** One step of a Deno install (Go: app.InstallProgress). */
export interface Progress {
  phase: string;
  done: number;
  total: number;
  percent: number;
  bytesPerSecond: number;
}

/**
 * What the progress bar and its text show, from the same numbers: the
 * percent is known only while downloading with a known size, and then the
 * text says the same percent.
 */
export function progressView(p: Progress): { percent?: number; text: string } {
  const mb = (n: number) => (n / 1048576).toFixed(1);
  switch (p.phase) {
    case 'download': {
      const speed = p.bytesPerSecond > 0 ? ` at ${mb(p.bytesPerSecond)} MB/s` : '';
      if (p.total > 0) {
        const percent = Math.min(100, Math.max(0, Math.floor((100 * p.done) / p.total)));
        return { percent, text: `Downloading: ${mb(p.done)} of ${mb(p.total)} MB (${percent}%)${speed}` };
      }
      return { text: `Downloading: ${mb(p.done)} MB${speed}` };
    }
    case 'resolve':
      return { text: 'Finding the latest release…' };
    case 'verify':
      return { percent: 100, text: 'Verifying the download…' };
    case 'extract':
      return { percent: 100, text: 'Unpacking…' };
    case 'done':
      return { percent: 100, text: 'Done' };
  }
  return { text: p.phase };
}

/** A position in the submitted code (1-based), as errors report it: code.ts:L:C. */
export interface CodePosition {
  line: number;
  column: number;
}

/** The first code.ts:LINE:COLUMN an error message names, else the last line of `<code>` a Python traceback names, if any. */
export function errorPosition(message: string): CodePosition | undefined {
  const m = /\bcode\.ts:(\d+):(\d+)/.exec(message);
  if (m) return { line: Number(m[1]), column: Number(m[2]) };
  // A Python traceback: the innermost frame of the submitted code.
  const py = [...message.matchAll(/File "<code>", line (\d+)/g)].at(-1);
  return py ? { line: Number(py[1]), column: 1 } : undefined;
}

/** Seconds typed in a field to milliseconds; '' is 0 (the default). */
export function secondsToMs(text: string): number {
  const t = text.trim();
  if (t === '') return 0;
  const n = Number(t);
  return Number.isFinite(n) && n >= 0 ? Math.round(n * 1000) : NaN;
}

/** Milliseconds to the seconds shown in a field; 0 is '' (the default). */
export function msToSeconds(ms: number | undefined): string {
  if (!ms) return '';
  return trim(String(Math.round(ms / 100) / 10));
}
