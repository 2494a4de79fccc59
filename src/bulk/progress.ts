// Progress of a bulk load: a live line with rows/s on a terminal, one summary
// line otherwise (CI logs, pipes).
export interface Progress {
  update(rows: number): void;
  done(rows: number): void;
}

export function progressReporter(label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  const started = performance.now();
  let lastDrawn = 0;
  const rate = (rows: number, ms: number) => Math.round(rows / Math.max(ms / 1000, 0.001)).toLocaleString('en');
  return {
    update(rows) {
      const now = performance.now();
      if (!stream.isTTY || now - lastDrawn < 100) return;
      lastDrawn = now;
      stream.write(`\r${label}: ${rows.toLocaleString('en')} rows, ${rate(rows, now - started)} rows/s `);
    },
    done(rows) {
      const ms = performance.now() - started;
      if (stream.isTTY) stream.write('\r\x1b[K');
      stream.write(`${label}: ${rows.toLocaleString('en')} rows in ${(ms / 1000).toFixed(2)} s (${rate(rows, ms)} rows/s)\n`);
    },
  };
}
