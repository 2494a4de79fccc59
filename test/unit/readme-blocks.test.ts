import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractCheckedBlocks } from '../../scripts/readme-blocks';
import { loadSpec } from '../../src/spec';
import { ROOT } from '../../scripts/lib/paths';

const fence = '```';

describe('extractCheckedBlocks', () => {
  it('finds marked shell and TypeScript blocks with their mode and skips unmarked ones', () => {
    const markdown = [
      '# t',
      '<!-- checked -->',
      `${fence}sh`,
      'echo one',
      fence,
      `${fence}sh`,
      'docker compose up',
      fence,
      '<!-- checked: with-server -->',
      `${fence}bash`,
      'curl localhost:3000/hello',
      'curl localhost:3000/healthz',
      fence,
      '<!-- checked: starts-server http://127.0.0.1:4010/hello -->',
      `${fence}sh`,
      'npm run mock',
      fence,
      '<!-- checked: with-server -->',
      `${fence}ts`,
      "await fetch('http://localhost:3000/hello');",
      fence,
    ].join('\n');
    expect(extractCheckedBlocks(markdown)).toEqual([
      { line: 2, language: 'shell', mode: 'run', code: 'echo one' },
      { line: 9, language: 'shell', mode: 'with-server', code: 'curl localhost:3000/hello\ncurl localhost:3000/healthz' },
      { line: 14, language: 'shell', mode: 'starts-server', probeUrl: 'http://127.0.0.1:4010/hello', code: 'npm run mock' },
      { line: 18, language: 'typescript', mode: 'with-server', code: "await fetch('http://localhost:3000/hello');" },
    ]);
  });

  it('refuses a misspelt mode or a marker that is not right before a shell block, naming the line', () => {
    expect(() => extractCheckedBlocks(`x\n<!-- checked: with-sever -->\n${fence}sh\nls\n${fence}`)).toThrow(/README.md:2: unknown marker/);
    expect(() => extractCheckedBlocks(`<!-- checked -->\n\n${fence}sh\nls\n${fence}`)).toThrow(/README.md:1: .*followed directly/);
    expect(() => extractCheckedBlocks(`<!-- checked -->\n${fence}json\n{}\n${fence}`)).toThrow(/README.md:1/);
    expect(() => extractCheckedBlocks(`<!-- checked -->\n${fence}sh\nls`)).toThrow(/never closed/);
  });
});

describe('README.md', () => {
  const blocks = extractCheckedBlocks(readFileSync(join(ROOT, 'README.md'), 'utf8'));

  it('calls every operation of the contract with curl in a block run against a server', () => {
    const curled = blocks
      .filter((block) => block.mode === 'with-server')
      .flatMap((block) => block.code.split('\n'))
      .filter((line) => line.trim().startsWith('curl '));
    const spec = loadSpec();
    for (const [path, item] of Object.entries(spec.paths ?? {})) {
      for (const method of Object.keys(item ?? {})) {
        const pathPattern = new RegExp(`localhost:3000${path.replace(/\{\w+\}/g, '[0-9a-f-]+').replace('.', '\\.')}(?:[?' ]|$)`);
        const methodPattern = method === 'get' ? /^(?!.*-X )/ : new RegExp(`-X ${method.toUpperCase()}\\b`);
        const found = curled.some((line) => pathPattern.test(line) && methodPattern.test(line));
        expect({ operation: `${method.toUpperCase()} ${path}`, found }).toEqual({ operation: `${method.toUpperCase()} ${path}`, found: true });
      }
    }
  });
});
