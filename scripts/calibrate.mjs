// `npm run calibrate`: chooses the data-chosen decode constants from the measurement ledger and writes
// server/data/decode-constants.json. Runs the TypeScript sources through tsx (no build needed); run
// `npm run accuracy` afterwards to rebuild and score.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeCalibration } from '../server/src/cli/accuracy/calibrateFile.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
for (const line of writeCalibration(root)) console.log(line);
