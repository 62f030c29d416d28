import type { GeneratedFlag } from '../../server/src/analysis/extract/flags/generated/types';
import type { Declaration, ReleaseRead } from './flags.d.mts';
export function merge(releases: ReleaseRead[], perRelease: Declaration[][]): GeneratedFlag[];
