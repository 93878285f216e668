import { existsSync } from 'node:fs';
import path from 'node:path';

/** Reads `.env` from the project root into process.env (variables already set win). */
export function loadEnvFile(root = path.resolve(import.meta.dirname, '..')): void {
  const file = path.join(root, '.env');
  if (existsSync(file)) process.loadEnvFile(file);
}
