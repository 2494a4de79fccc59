import { progressReporter } from '../../src/bulk/progress';

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, write: (text: string) => writes.push(text) } as unknown as NodeJS.WriteStream };
}

describe('bulk load progress', () => {
  it('writes one summary line, nothing else, when not on a terminal', () => {
    const { writes, stream } = fakeStream(false);
    const progress = progressReporter('imported x.csv', stream);
    progress.update(10);
    progress.update(20);
    progress.done(20);
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatch(/^imported x\.csv: 20 rows in \d+\.\d\d s \([\d,]+ rows\/s\)\n$/);
  });

  it('redraws one line with rows/s on a terminal and clears it at the end', () => {
    const { writes, stream } = fakeStream(true);
    const progress = progressReporter('seeding', stream);
    progress.update(5000);
    progress.done(5000);
    expect(writes[0]).toMatch(/^\rseeding: 5,000 rows, [\d,]+ rows\/s $/);
    expect(writes.at(-1)).toMatch(/^seeding: 5,000 rows in/);
  });
});
