/**
 * RFC 4180 CSV: quoted fields, doubled quotes, commas and newlines inside quotes. llama-bench
 * quotes every value (`"CUDA"`), so a naive split on commas would break on `gpu_info` strings.
 */
export function parseCsv(text: string): string[][] {
	const rows: string[][] = [];
	let row: string[] = [];
	let field = '';
	let quoted = false;
	let i = 0;
	const endField = () => {
		row.push(field);
		field = '';
	};
	const endRow = () => {
		endField();
		if (!(row.length === 1 && row[0] === '')) rows.push(row);
		row = [];
	};
	while (i < text.length) {
		const c = text[i];
		if (quoted) {
			if (c === '"') {
				if (text[i + 1] === '"') {
					field += '"';
					i += 2;
					continue;
				}
				quoted = false;
				i++;
				continue;
			}
			field += c;
			i++;
			continue;
		}
		if (c === '"' && field === '') quoted = true;
		else if (c === ',') endField();
		else if (c === '\n') endRow();
		else if (c !== '\r') field += c;
		i++;
	}
	if (quoted) throw new Error('CSV ends inside a quoted field');
	if (field !== '' || row.length > 0) endRow();
	return rows;
}
