// The KEY=VALUE files the benchmark scripts write (facts.env, a load
// generator's output): an object of strings, the value being all after the
// first `=`; lines without one are skipped.
import { readFileSync } from 'node:fs';

export function readFacts(file) {
  return Object.fromEntries(
    readFileSync(file, 'utf8').split('\n').filter((line) => line.includes('=')).map((line) => {
      const at = line.indexOf('=');
      return [line.slice(0, at), line.slice(at + 1)];
    }),
  );
}
