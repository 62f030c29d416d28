/**
 * What the generated tables say about a flag and a pinned engine version: whether the pinned release is
 * known to reject it (it appeared after, or left before, that release among the releases read), and how
 * to name the releases checked in messages. A flag the tables never saw is judged by `unknownFlagFinding`.
 */
import type { Setting } from '../../types';
import { compareVersions } from '../versions';
import type { GeneratedFlag, GeneratedFlagTable, GeneratedRelease } from './generated/types';

export interface FlagHistory {
	flag: GeneratedFlag;
	table: GeneratedFlagTable;
}

export interface VersionVerdict {
	/** The release read that lacks the flag and decides the verdict. */
	release: GeneratedRelease;
	why: 'not-yet' | 'gone';
}

const release = (t: GeneratedFlagTable, id?: string) => t.releasesRead.find((r) => r.id === id);

/**
 * The pinned version is known to reject the flag when a read that lacks it, before the flag's first
 * appearance, comes after the pinned release (`after` ≥ pinned), or one that lacks it after its last
 * appearance comes before the pinned release (`before` ≤ pinned). Reads whose place among releases is
 * unknown decide nothing.
 */
export function versionVerdict(
	h: FlagHistory | undefined,
	pinned?: Setting<string>,
): VersionVerdict | undefined {
	if (!h || !pinned) return undefined;
	const earlier = release(h.table, h.flag.absentBefore);
	if (earlier?.after && (compareVersions(pinned.value, earlier.after) ?? 1) <= 0)
		return { release: earlier, why: 'not-yet' };
	const later = release(h.table, h.flag.absentAfter);
	if (later?.before && (compareVersions(pinned.value, later.before) ?? -1) >= 0)
		return { release: later, why: 'gone' };
	return undefined;
}

/** "v0.11 (99d7eb5), frontend options from main (0052233)": the releases read, for messages. */
export function checkedLabel(t: GeneratedFlagTable): string {
	const newest = t.releasesRead[t.releasesRead.length - 1]!;
	const versioned = [...t.releasesRead].reverse().find((r) => r.after);
	if (versioned && versioned !== newest) return `${versioned.id}, with newer reads up to ${newest.id}`;
	return newest.id;
}

/** Whether a pinned version is at or past the releases the tables read (so their silence means little). */
export function pinnedNewerThanChecked(t: GeneratedFlagTable, pinned?: Setting<string>): boolean {
	if (!pinned || !t.newestCheckedBefore) return false;
	return (compareVersions(pinned.value, t.newestCheckedBefore) ?? -1) >= 0;
}
