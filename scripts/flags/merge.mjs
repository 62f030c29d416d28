// Merges per-release flag declarations into one record per flag with where it appeared and left.

/** Merges per-release declarations into one record per flag, keyed by its first long spelling. */
export function merge(releases, perRelease) {
	const flags = new Map();
	releases.forEach((rel, r) => {
		for (const d of perRelease[r]) {
			const key = d.spellings.find((s) => s.startsWith('--')) ?? d.spellings[0];
			let f = flags.get(key);
			if (!f) {
				f = { spellings: [], kind: d.kind, seenIn: [] };
				flags.set(key, f);
			}
			for (const s of d.spellings) if (!f.spellings.includes(s)) f.spellings.push(s);
			for (const s of d.negations ?? []) {
				f.negations ??= [];
				if (!f.negations.includes(s)) f.negations.push(s);
			}
			// The newest release decides the kind and env var.
			f.kind = d.kind;
			if (d.env) f.env = d.env;
			if (d.examples) f.examples = d.examples;
			if (d.excludes) f.excludes = d.excludes;
			if (!f.seenIn.includes(rel.id)) f.seenIn.push(rel.id);
			if (d.deprecated) f.deprecated = { since: f.deprecated?.since ?? rel.id, ...d.deprecated };
			else if (f.deprecated && r === releases.length - 1) delete f.deprecated;
			f.scope = rel.scope;
		}
	});
	for (const f of flags.values()) {
		const seen = releases.filter((r) => f.seenIn.includes(r.id));
		const first = releases.indexOf(seen[0]);
		const last = releases.indexOf(seen[seen.length - 1]);
		// Absence only counts in complete reads of the same scope.
		const counts = (r) => !r.partial && (r.scope === 'all' || f.scope === 'all' || r.scope === f.scope);
		const before = releases.slice(0, first).filter(counts).pop();
		const after = releases.slice(last + 1).find(counts);
		if (before) f.absentBefore = before.id;
		if (after) f.absentAfter = after.id;
		delete f.scope;
	}
	return [...flags.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, f]) => f);
}
