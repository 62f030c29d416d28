"""A voice assistant: speech recognition, embeddings and a chat model. Only the chat model is LLM decode."""
import torch
from transformers import AutoModel, AutoModelForCausalLM, WhisperForConditionalGeneration, pipeline

asr = pipeline("automatic-speech-recognition", model="openai/whisper-large-v3", device=0)
whisper = WhisperForConditionalGeneration.from_pretrained("openai/whisper-small")
embedder = AutoModel.from_pretrained("BAAI/bge-small-en-v1.5")
tts = pipeline("text-to-speech", model="suno/bark-small")

chat = AutoModelForCausalLM.from_pretrained(
    "meta-llama/Llama-3.1-8B-Instruct", torch_dtype=torch.bfloat16, device_map="cuda"
)
