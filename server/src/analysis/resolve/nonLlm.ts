/**
 * Models and pipelines that are not LLM decode: speech recognition (Whisper, wav2vec2), voice activity
 * detection (Silero VAD, pyannote), text-to-speech (Kokoro, Bark, SpeechT5, Parler-TTS), embeddings
 * (BGE, E5, GTE, MiniLM sentence-transformers, nomic-embed). Their cost is not a per-token weight stream,
 * so judging them as LLM decode (unknown model, tokens per second) would be a false statement: the
 * extractors leave them out.
 */
export type NonLlmKind = 'speech-recognition' | 'voice-activity-detection' | 'text-to-speech' | 'embeddings';

const BY_ID: [RegExp, NonLlmKind][] = [
	[/whisper|wav2vec2|hubert|\bwavlm|parakeet|canary-1b|seamless-m4t|speech-?to-?text/i, 'speech-recognition'],
	[/silero[-_]?vad|pyannote|[-_/]vad\b|\bvad[-_]/i, 'voice-activity-detection'],
	[
		/kokoro|\bbark\b|speecht5|parler[-_]tts|xtts|\bpiper\b|[-_/]tts\b|\btts[-_]|mms-tts|outetts/i,
		'text-to-speech',
	],
	[
		/(^|\/)(bge|e5|gte|multilingual-e5)[-_]|sentence-transformers\/|all-minilm|all-mpnet|nomic-embed|mxbai-embed|jina-embeddings|[-_]embed(ding)?s?([-_]|$)|snowflake-arctic-embed|text-embedding/i,
		'embeddings',
	],
];

/** Pipeline tasks that are not LLM decode (transformers and transformers.js task names). */
const BY_TASK: Record<string, NonLlmKind> = {
	'automatic-speech-recognition': 'speech-recognition',
	'text-to-speech': 'text-to-speech',
	'text-to-audio': 'text-to-speech',
	'feature-extraction': 'embeddings',
	'sentence-similarity': 'embeddings',
	'audio-classification': 'voice-activity-detection',
};

export function nonLlmModel(id: string): NonLlmKind | undefined {
	return BY_ID.find(([re]) => re.test(id))?.[1];
}

export function nonLlmTask(task: string): NonLlmKind | undefined {
	return BY_TASK[task.toLowerCase()];
}

/** transformers classes whose models never decode as an LLM (speech-to-text heads). */
export function nonLlmClass(cls: string): NonLlmKind | undefined {
	return /SpeechSeq2Seq|^Whisper|CTC$|ForAudio|TextToSpectrogram|TextToWaveform/.test(cls)
		? cls.includes('Spectrogram') || cls.includes('Waveform')
			? 'text-to-speech'
			: 'speech-recognition'
		: undefined;
}
