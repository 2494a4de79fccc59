import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';

export const run = promisify(execFile);

// A spawned process has no pid when spawning failed; measuring it would then be meaningless.
export function pidOf(child: ChildProcess): number {
  if (child.pid === undefined) throw new Error(`${child.spawnfile} has no pid: it failed to spawn`);
  return child.pid;
}

// A process and its descendants (a cluster's workers), from /proc (Linux).
function processTree(pid: number): number[] {
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
  } catch {
    // The process has just exited.
  }
  return [pid, ...children.flatMap(processTree)];
}

function sumOverTree(pid: number, read: (pid: number) => number): number {
  return processTree(pid).reduce((total, member) => {
    try {
      return total + read(member);
    } catch {
      return total;
    }
  }, 0);
}

// Resident set size of a process and its workers in MB, from /proc (Linux).
export function rssMb(pid: number): number {
  return sumOverTree(pid, (member) => {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${member}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : 0;
  });
}

// CPU time (user + system) a process and its workers have used, in ms, from /proc (Linux).
function cpuMs(pid: number): number {
  return sumOverTree(pid, (member) => {
    const fields = readFileSync(`/proc/${member}/stat`, 'utf8').split(') ')[1].split(' ');
    // utime and stime, fields 14 and 15 of stat(5), in clock ticks of 10 ms.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  });
}

// Samples a process's RSS every 50 ms while `work` runs (a sample after the
// run misses the peak: the young generation is collected by then); resolves
// with work's result, the peak RSS and the CPU time the process used
// meanwhile (far less noisy than throughput on a shared machine).
export async function measureProcess<T>(pid: number, work: Promise<T>): Promise<{ result: T; peakRssMb: number; cpuMs: number }> {
  let peak = rssMb(pid);
  const cpuBefore = cpuMs(pid);
  const timer = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 50);
  try {
    const result = await work;
    return { result, peakRssMb: Math.round(Math.max(peak, rssMb(pid))), cpuMs: cpuMs(pid) - cpuBefore };
  } finally {
    clearInterval(timer);
  }
}

// Starts a server process and waits until `readyUrl` answers 200.
export async function startProcess(command: string, args: string[], env: NodeJS.ProcessEnv, readyUrl: string): Promise<ChildProcess> {
  const child = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'inherit'] });
  for (let attempt = 0; attempt < 150; attempt++) {
    if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited with ${child.exitCode}`);
    const ok = await fetch(readyUrl).then(
      (res) => res.ok,
      () => false,
    );
    if (ok) return child;
    await sleep(100);
  }
  child.kill('SIGKILL');
  throw new Error(`${readyUrl} did not answer within 15 s`);
}

export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}
