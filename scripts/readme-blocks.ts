// Finds the shell and TypeScript blocks of the README (and of docs/*.md) that are marked to be run by
// scripts/check-readme.ts. A marker is an HTML comment (invisible on GitHub)
// on the line right before a ```sh, ```bash or ```shell fence, or a ```ts
// fence (run as an ES module by tsx from the repository, so it imports the
// repository's packages, e.g. @passenger-api/client):
//
//   <!-- checked -->                     run as it is, from the repository root
//   <!-- checked: with-server -->        run while a fresh server (embedded database,
//                                        demo data) listens; localhost:3000 in the
//                                        block is replaced by that server's address
//   <!-- checked: starts-server [URL] --> the block starts a server and keeps it
//                                        running: it runs with PORT set to a free
//                                        port, passes once URL (default
//                                        http://localhost:3000/hello, port replaced
//                                        likewise) answers 2xx, and is then stopped
//
// Unmarked blocks are not run: keep those for what cannot run in CI (docker,
// kubectl against a cluster) and for commands .ci/run already runs itself.

type CheckMode = 'run' | 'with-server' | 'starts-server';

export interface CheckedBlock {
  // 1-based line of the marker, for error messages.
  line: number;
  language: 'shell' | 'typescript';
  mode: CheckMode;
  probeUrl?: string;
  code: string;
}

const MARKER = /^<!--\s*checked(?::\s*(.*?))?\s*-->\s*$/;
const FENCE = /^```(sh|bash|shell|ts)\s*$/;

function parseMarker(options: string | undefined, where: string): Pick<CheckedBlock, 'mode' | 'probeUrl'> {
  const words = (options ?? '').split(/\s+/).filter(Boolean);
  // at(0): the marker may name no options at all.
  const mode = words.at(0);
  const rest = words.slice(1);
  if (mode === undefined) return { mode: 'run' };
  if (mode === 'with-server' && rest.length === 0) return { mode };
  if (mode === 'starts-server' && rest.length <= 1) return { mode, probeUrl: rest[0] };
  throw new Error(`${where}: unknown marker options "${options}" (see scripts/readme-blocks.ts)`);
}

// `file` names the document in error messages.
export function extractCheckedBlocks(markdown: string, file = 'README.md'): CheckedBlock[] {
  const lines = markdown.split('\n');
  const blocks: CheckedBlock[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    const marker = MARKER.exec(lines[i].trim());
    if (!marker) continue;
    const line = i + 1;
    const where = `${file}:${line}`;
    const fence = FENCE.exec(lines[i + 1]?.trim() ?? '');
    if (!fence) throw new Error(`${where}: a checked marker must be followed directly by a \`\`\`sh or \`\`\`ts block`);
    const end = lines.findIndex((text, j) => j > i + 1 && text.trim() === '```');
    if (end === -1) throw new Error(`${where}: the checked block is never closed`);
    const language = fence[1] === 'ts' ? 'typescript' : 'shell';
    blocks.push({ line, language, ...parseMarker(marker[1], where), code: lines.slice(i + 2, end).join('\n') });
    i = end;
  }
  return blocks;
}
