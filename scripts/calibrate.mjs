// `npm run calibrate`: chooses the data-chosen decode constants from the measurement ledger and writes
// server/data/decode-constants.json, and the vLLM memory-plan constants from the start-up ledger into
// server/data/vllm-memory-constants.json. Runs the TypeScript sources through tsx (no build needed); run
// `npm run accuracy` afterwards to rebuild and score.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeCalibration } from '../server/src/cli/accuracy/calibrateFile.ts';
import { parseCsv } from '../server/src/cli/accuracy/csv.ts';
import { writeVllmMemoryConstants } from '../server/src/cli/accuracy/vllmMemoryConstants.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
for (const line of writeCalibration(root)) console.log(line);
const startup = parseCsv(readFileSync(path.join(root, 'server/data/measurements/startup.csv'), 'utf8'));
const date = new Date().toISOString().slice(0, 10);
console.log(`vLLM memory constants: ${path.relative(root, writeVllmMemoryConstants(root, startup, date))}`);
