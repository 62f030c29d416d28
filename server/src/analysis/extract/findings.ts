/**
 * Findings about flags themselves: unknown spellings (with the closest known one and a rename fix),
 * deprecated or removed flags (judged against the engine version the workspace pins), and values the
 * engine would reject.
 */
import { editDistance } from '../catalog/names';
import type { Finding, Setting, Span } from '../types';
import { checkedLabel, pinnedNewerThanChecked, type VersionVerdict } from './flags/history';
import type { Deprecation, FlagTable } from './flags/types';
import { compareVersions } from './versions';

/** The closest known spelling and its distance; long names compare with long names. */
export function closestFlag(
	name: string,
	table: FlagTable,
): { spelling: string; distance: number } | undefined {
	let best: { spelling: string; distance: number } | undefined;
	const norm = table.normalize(name);
	for (const sp of table.bySpelling.keys()) {
		if (sp.startsWith('--') !== norm.startsWith('--')) continue;
		// The distance is at least the length difference: skip what cannot beat the best so far.
		if (best && Math.abs(sp.length - norm.length) >= best.distance) continue;
		const d = editDistance(norm, sp);
		if (!best || d < best.distance) best = { spelling: sp, distance: d };
	}
	return best;
}

/** Close enough to rename automatically: a typo, not a different flag. */
function isCloseMatch(name: string, distance: number): boolean {
	return distance <= Math.max(1, Math.min(3, Math.floor(name.length / 5)));
}

/**
 * A flag the tables do not know. With generated tables the message names the newest release read and
 * never claims the engine refuses to start (a newer release may accept it): a warning, or information
 * when the pinned version is newer than the releases read or the tables cover only part of the engine.
 */
export function unknownFlagFinding(
	name: string,
	span: Span,
	table: FlagTable,
	engineLabel: string,
	version?: Setting<string>,
	/** The name is an environment variable (`LLAMA_ARG_*`), which the engine ignores when unknown. */
	isEnv = false,
): Finding {
	const best = closestFlag(name, table);
	const sameButSeparators = best && name.replace(/_/g, '-') === best.spelling.replace(/_/g, '-');
	const close = best && (sameButSeparators || isCloseMatch(name, best.distance));
	const suggestion =
		best && best.distance <= Math.max(3, name.length / 3) ? `; did you mean \`${best.spelling}\`?` : '.';
	let message: string;
	let severity: Finding['severity'] = 'warning';
	const g = table.generated;
	if (isEnv) {
		message =
			`\`${name}\` is not a variable of ${engineLabel}'s arguments` +
			(g ? ` up to ${checkedLabel(g)}` : '') +
			`; ${engineLabel} ignores variables it does not know, so it has no effect.`;
	} else if (!g) {
		message =
			`Unknown ${engineLabel} flag \`${name}\`` +
			suggestion +
			` ${engineLabel} refuses to start with an argument it does not know.`;
	} else if (table.coverage === 'partial') {
		severity = 'information';
		message =
			`\`${name}\` is not among the ${engineLabel} arguments this tool knows` +
			suggestion.replace(/^;/, ',').replace(/^\.$/, '') +
			` (it read only part of ${engineLabel}'s argument definitions, up to ${checkedLabel(g)}), so it is not judged.`;
	} else {
		message = `\`${name}\` is not in ${engineLabel}'s arguments up to ${checkedLabel(g)}, the newest release this tool checked${suggestion}`;
		if (version && pinnedNewerThanChecked(g, version)) {
			severity = 'information';
			message += ` The pinned version ${version.value} (${version.note ?? 'pinned in this file'}) is newer than that, so it may accept it.`;
		} else
			message += ` A newer ${engineLabel} may accept it; an older one stops at start-up with an unknown-argument error.`;
	}
	return {
		code: 'unknown-flag',
		severity,
		message,
		span,
		data: { flag: name, suggestion: best?.spelling, checked: g ? checkedLabel(g) : undefined },
		fixes: close
			? [
					{
						title: `Rename to ${best!.spelling}`,
						edits: [{ span, newText: best!.spelling }],
						isPreferred: true,
					},
				]
			: undefined,
	};
}

/** A known flag that the pinned version is known to reject: it appeared after, or left before, that release. */
export function flagNotInVersionFinding(
	name: string,
	span: Span,
	verdict: VersionVerdict,
	engineLabel: string,
	version: Setting<string>,
	/** The hand-written deprecation, for its replacement and rename fix. */
	dep?: Deprecation,
): Finding {
	const where = version.note ?? 'pinned in this file';
	const why =
		verdict.why === 'not-yet'
			? `it is not in the arguments of ${verdict.release.id}, the release read before it first appears`
			: `it is gone from the arguments of ${verdict.release.id}`;
	const instead = dep?.replacement
		? `; use ${dep.replacement.startsWith('-') ? `\`${dep.replacement}\`` : dep.replacement} instead`
		: '';
	return {
		code: 'unknown-flag',
		severity: 'error',
		message: `${engineLabel} ${version.value} (${where}) refuses to start with \`${name}\`: ${why}${instead}.`,
		span,
		data: {
			flag: name,
			pinnedVersion: version.value,
			release: verdict.release.id,
			replacement: dep?.replacement,
		},
		fixes:
			dep?.renameSafe && dep.replacement
				? [
						{
							title: `Replace with ${dep.replacement}`,
							edits: [{ span, newText: dep.replacement }],
							isPreferred: true,
						},
					]
				: undefined,
	};
}

/** Whether the pinned version already warns about / rejects the flag (undefined: no pin or unknown). */
function versionState(dep: Deprecation, pinned?: string): 'not-yet' | 'deprecated' | 'removed' | undefined {
	if (!pinned) return undefined;
	if (dep.removedIn && (compareVersions(pinned, dep.removedIn) ?? -1) >= 0) return 'removed';
	if (dep.since && (compareVersions(pinned, dep.since) ?? 1) < 0) return 'not-yet';
	return 'deprecated';
}

/**
 * A deprecated-flag finding, or undefined when the pinned engine version predates the deprecation
 * (the flag is current there).
 */
export function deprecatedFlagFinding(
	name: string,
	span: Span,
	dep: Deprecation,
	engineLabel: string,
	version?: Setting<string>,
	extraFix?: Finding['fixes'],
): Finding | undefined {
	const state = versionState(dep, version?.value);
	if (state === 'not-yet') return undefined;
	const parts = [`\`${name}\` is deprecated in ${engineLabel}`];
	if (dep.removedIn)
		parts[0] = `\`${name}\` is deprecated in ${engineLabel} (announced for removal in v${dep.removedIn})`;
	else if (dep.removed) parts[0] = `\`${name}\` was removed from ${engineLabel}`;
	if (dep.note) parts.push(dep.note);
	if (dep.replacement)
		parts.push(`use ${dep.replacement.startsWith('-') ? `\`${dep.replacement}\`` : dep.replacement} instead`);
	if (version) {
		const where = version.note ?? 'pinned in this file';
		parts.push(
			state === 'removed'
				? `the pinned version ${version.value} (${where}) is at or past that release, so expect it to be rejected`
				: `the pinned version ${version.value} (${where}) still accepts it`,
		);
	}
	const fixes: NonNullable<Finding['fixes']> = [...(extraFix ?? [])];
	if (dep.renameSafe && dep.replacement)
		fixes.push({
			title: `Replace with ${dep.replacement}`,
			edits: [{ span, newText: dep.replacement }],
			isPreferred: true,
		});
	return {
		code: 'deprecated-flag',
		severity: 'warning',
		message: parts.join('; ') + '.',
		span,
		data: {
			flag: name,
			replacement: dep.replacement,
			removedIn: dep.removedIn,
			pinnedVersion: version?.value,
		},
		fixes: fixes.length ? fixes : undefined,
	};
}

export function invalidValueFinding(
	flagName: string,
	reason: string,
	span: Span,
	engineLabel: string,
): Finding {
	return {
		code: 'invalid-flag-value',
		severity: 'warning',
		message: `${flagName}: ${reason}; ${engineLabel} would reject it, so the estimate ignores this value.`,
		span,
		data: { flag: flagName },
	};
}
