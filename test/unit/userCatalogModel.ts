/** The user-catalog model entry from docs/catalog.md (a Llama 3.1 8B fine-tune), as a user would write it. */
export const ACME_MODEL = {
	id: 'acme/Acme-Chat-8B',
	architecture: 'LlamaForCausalLM',
	layers: 32,
	hidden: 4096,
	intermediate: 14336,
	heads: 32,
	kvHeads: 8,
	headDim: 128,
	vocab: 128256,
	tiedEmbeddings: false,
	maxContext: 131072,
	paramsTotal: 8030261248,
	paramsActive: 8030261248,
	sources: ['test'],
};
