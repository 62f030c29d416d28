import type { Declaration } from './flags.d.mts';
export function classFields(text: string, className: string): Map<string, string>;
export function kindOfAnnotation(annotation: string): Declaration['kind'];
export function argparseFlags(text: string, fieldKinds?: Map<string, Declaration['kind']>): Declaration[];
export function dataclassFlags(text: string, classNames: string[]): Declaration[];
export function annotatedFlags(text: string, className: string): Declaration[];
