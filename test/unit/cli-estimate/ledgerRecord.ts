/**
 * One decode-ledger CSV record for tests: the columns a row needs, with a llama.cpp / CUDA / Llama-3.1-8B
 * q4_0 batch-1 default that each test overrides with what it is about.
 */
export type LedgerRecord = Record<string, string>;

export function ledgerRecord(id: string, o: Partial<LedgerRecord> = {}): LedgerRecord {
	return {
		id,
		engine: 'llama.cpp',
		backend: 'cuda',
		hardware_id: '',
		hardware_label: '',
		mem_bw_gbs: '',
		devices: '1',
		model_id: 'meta-llama/Llama-3.1-8B',
		params_b: '',
		weight_format: 'q4_0',
		bits_per_weight: '',
		batch: '1',
		prompt_tokens: '0',
		gen_tokens: '128',
		decode_tok_s_per_user: '1',
		...o,
	};
}
