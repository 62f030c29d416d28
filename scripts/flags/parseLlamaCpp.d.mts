import type { Declaration } from './flags.d.mts';
export function llamaCppFlags(text: string): Declaration[];
