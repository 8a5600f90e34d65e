/**
 * `npm run bench -- <name> [--json] [options]`: runs one benchmark. Progress goes
 * to stderr; the result is printed on stdout, as one JSON line last with --json.
 */
export type BenchArgs = Record<string, string | boolean | undefined>;
export type Bench = (args: BenchArgs) => Promise<Record<string, unknown>>;

const BENCHES: Record<string, () => Promise<Bench>> = {
  search: async () => (await import('./search.ts')).run,
  load: async () => (await import('./load.ts')).run,
  ann: async () => (await import('./ann.ts')).run,
  'hybrid-orama': async () => (await import('./hybrid-orama.ts')).run,
  index: async () => (await import('./index.ts')).run,
  startup: async () => (await import('./startup.ts')).run,
  embed: async () => (await import('./embed.ts')).run,
  mixed: async () => (await import('./mixed.ts')).run,
  replica: async () => (await import('./replica.ts')).run,
  cluster: async () => (await import('./cluster.ts')).run,
};

/** `--name value`, `--name=value` and bare `--flag`; node's parseArgs treats unknown options as booleans only. */
function parseBenchArgs(argv: string[]): { positionals: string[]; values: BenchArgs } {
  const positionals: string[] = [];
  const values: BenchArgs = {};
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([^=]+)(?:=(.*))?$/.exec(argv[i]);
    if (!m) positionals.push(argv[i]);
    else if (m[2] !== undefined) values[m[1]] = m[2];
    else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) values[m[1]] = argv[++i];
    else values[m[1]] = true;
  }
  return { positionals, values };
}

async function main(): Promise<void> {
  // Per-request info logs would flood stdout, where the result goes.
  process.env.LOG_LEVEL ??= 'warn';
  const { positionals, values } = parseBenchArgs(process.argv.slice(2));
  const name = positionals[0];
  if (!name || !(name in BENCHES)) {
    console.error(`usage: npm run bench -- <${Object.keys(BENCHES).join('|')}> [--json] [options]`);
    process.exit(2);
  }
  const bench = await BENCHES[name]();
  const result = await bench(values);
  console.log(values.json ? JSON.stringify(result) : JSON.stringify(result, null, 2));
  // Worker threads, LanceDB and hnswlib handles would otherwise keep the process alive.
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
