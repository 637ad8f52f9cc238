import { readFileSync, writeFileSync } from "node:fs";

/**
 * Drops optional dependencies that the lock file names but does not contain. npm records them only when the
 * registry serves them; where a registry mirror carries just this platform's binaries, the lock ends up naming
 * packages it never resolved, and `npm ci` refuses it. Run after `npm install` changes the lock.
 */
interface LockPackage {
  optionalDependencies?: Record<string, string>;
}
const file = process.argv[2] ?? "package-lock.json";
const lock = JSON.parse(readFileSync(file, "utf8")) as { packages: Record<string, LockPackage> };
const packages = lock.packages;

/** Where node would find `name` from the package at `from`: its own node_modules, then each parent's. */
function resolve(from: string, name: string): string | undefined {
  for (let base = from; ; ) {
    const candidate = `${base ? `${base}/` : ""}node_modules/${name}`;
    if (candidate in packages) return candidate;
    if (!base) return undefined;
    const i = base.lastIndexOf("/node_modules/");
    base = i >= 0 ? base.slice(0, i) : "";
  }
}

let removed = 0;
for (const [path, meta] of Object.entries(packages)) {
  if (!meta.optionalDependencies) continue;
  for (const name of Object.keys(meta.optionalDependencies)) {
    if (!resolve(path, name)) {
      delete meta.optionalDependencies[name];
      removed++;
    }
  }
  if (!Object.keys(meta.optionalDependencies).length) delete meta.optionalDependencies;
}
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`lock: ${removed} unresolved optional dependencies dropped`);
