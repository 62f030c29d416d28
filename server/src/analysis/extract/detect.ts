// Placeholder: the real detector (path, language id, cheap keyword pre-filter) replaces this.
import type { FileKind } from './types';

export function detectFileKind(_path: string, _text: string, _languageId?: string): FileKind {
	return 'unknown';
}
