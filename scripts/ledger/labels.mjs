// Pure helpers for scripts/ledger/fill-ids.mjs: a CSV splitter that keeps every field's raw text
// (so a rewrite changes only the cells it means to), and the names tried for a ledger label.
/** Splits CSV text into records of raw field strings (quotes kept), plus each record's line ending. */
export function splitCsv(text) {
	const records = [];
	let fields = [];
	let start = 0;
	let inQuotes = false;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (inQuotes) {
			if (c === '"' && text[i + 1] === '"') i++;
			else if (c === '"') inQuotes = false;
		} else if (c === '"') inQuotes = true;
		else if (c === ',') {
			fields.push(text.slice(start, i));
			start = i + 1;
		} else if (c === '\n' || c === '\r') {
			const eol = c === '\r' && text[i + 1] === '\n' ? '\r\n' : c;
			fields.push(text.slice(start, i));
			records.push({ fields, eol });
			fields = [];
			i += eol.length - 1;
			start = i + 1;
		}
	}
	if (start < text.length) {
		fields.push(text.slice(start));
		records.push({ fields, eol: '' });
	}
	return records;
}

export function unquote(raw) {
	return raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1).replace(/""/g, '"') : raw;
}

function stripParens(s) {
	let prev;
	do {
		prev = s;
		s = s.replace(/\([^()]*\)/g, '');
	} while (s !== prev);
	return s
		.replace(/\s+,/g, ',')
		.replace(/\s{2,}/g, ' ')
		.trim();
}

/** Names to try for a label, from the label itself to its bare device name; each step keeps the last. */
export function hardwareCandidates(label) {
	const out = [label.trim()];
	let s = stripParens(label);
	out.push(s);
	s = s.split(',')[0].trim();
	out.push(s);
	s = s.replace(/^\d+\s*x\s+/i, '');
	out.push(s);
	s = s.replace(/\s+(nodes?|cards?)$/i, '');
	out.push(s);
	// Capacity tokens ("48GB", "64GB HBM2e") are context for a device whose name does not carry them.
	out.push(s.replace(/\s*\b\d+\s?GB(\s+(HBM|GDDR|LPDDR)\w*)?\b/gi, '').trim());
	return [...new Set(out.filter(Boolean))];
}

export function modelCandidates(label) {
	const out = [label.trim()];
	let s = stripParens(label);
	out.push(s);
	s = s.split(',')[0].trim();
	out.push(s);
	// "DeepSeek-R1-Distill-Qwen-14B FP8" → "…-14B-FP8", which the resolver reads as a re-upload suffix.
	out.push(s.replace(/\s+/g, '-'));
	return [...new Set(out.filter(Boolean))];
}
