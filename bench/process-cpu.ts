/**
 * CPU time of a process and its descendants, read from /proc (Linux): a
 * benchmark on a shared machine reports it beside wall time, since wall time
 * there says as much about the neighbours as about the code.
 */
import fs from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ, 100 on Linux). */
const TICKS = 100;

interface Stat {
  ppid: number;
  cpuS: number;
}

function readStat(pid: number): Stat | null {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: the fields after it start past the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), cpuS: (Number(fields[11]) + Number(fields[12])) / TICKS };
  } catch {
    return null;
  }
}

/**
 * Follows the process tree under `root` (sampled; call `sample()` often, e.g.
 * every 250 ms): `cpuSeconds()` sums the last CPU time seen of every process
 * that has been in the tree, so children that have exited still count (up to
 * their last sample).
 */
export function processTreeCpu(root: number) {
  const seen = new Map<number, number>();
  const sample = () => {
    const tree = new Set([root]);
    const stats = new Map<number, Stat>();
    for (const name of fs.readdirSync('/proc')) {
      const pid = Number(name);
      if (!Number.isInteger(pid)) continue;
      const stat = readStat(pid);
      if (stat) stats.set(pid, stat);
    }
    // Parents come before children in pid order only mostly: repeat until no new member is found.
    for (let grew = true; grew; ) {
      grew = false;
      for (const [pid, stat] of stats) {
        if (!tree.has(pid) && tree.has(stat.ppid)) {
          tree.add(pid);
          grew = true;
        }
      }
    }
    for (const pid of tree) {
      const stat = stats.get(pid);
      if (stat) seen.set(pid, Math.max(seen.get(pid) ?? 0, stat.cpuS));
    }
  };
  return { sample, cpuSeconds: () => [...seen.values()].reduce((a, b) => a + b, 0), processes: () => seen.size };
}
