/**
 * What the generated tables say about a flag and a pinned engine version: whether the pinned release is
 * known to reject it (it appeared after, or left before, that release among the releases read), and how
 * to name the releases checked in messages. A flag the tables never saw is judged by `unknownFlagFinding`.
 */
import type { Setting } from '../../types';
import { parseVersion } from '../versions';
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

/** Same major.minor series or older/newer; undefined when either side is not a version. */
function compareSeries(pinned: string, series: string): number | undefined {
	const p = parseVersion(pinned);
	const s = parseVersion(series);
	if (!p || !s) return undefined;
	return p[0] !== s[0] ? p[0]! - s[0]! : p[1]! - s[1]!;
}

/**
 * The pinned version is known to reject the flag when it is in (or before) a release series read
 * without it before the flag's first appearance, or in (or after) one read without it after its last.
 */
export function versionVerdict(
	h: FlagHistory | undefined,
	pinned?: Setting<string>,
): VersionVerdict | undefined {
	if (!h || !pinned) return undefined;
	const before = release(h.table, h.flag.absentBefore);
	if (before?.version && (compareSeries(pinned.value, before.version) ?? 1) <= 0)
		return { release: before, why: 'not-yet' };
	const after = release(h.table, h.flag.absentAfter);
	if (after?.version && (compareSeries(pinned.value, after.version) ?? -1) >= 0)
		return { release: after, why: 'gone' };
	return undefined;
}

/** "v0.11 (99d7eb5), frontend options from main (0052233)": the releases read, for messages. */
export function checkedLabel(t: GeneratedFlagTable): string {
	const newest = t.releasesRead[t.releasesRead.length - 1]!;
	const versioned = [...t.releasesRead].reverse().find((r) => r.version);
	if (versioned && versioned !== newest) return `${versioned.id}, with newer reads up to ${newest.id}`;
	return newest.id;
}

/** Whether a pinned version is newer than every release the tables read (so their silence means little). */
export function pinnedNewerThanChecked(t: GeneratedFlagTable, pinned?: Setting<string>): boolean {
	if (!pinned || !t.newestCheckedVersion) return false;
	return (compareSeries(pinned.value, t.newestCheckedVersion) ?? 0) > 0;
}
