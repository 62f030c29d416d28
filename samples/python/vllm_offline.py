"""Offline batch generation with vLLM on one 8-GPU node (Llama 3.1 70B, FP8 KV cache)."""
from vllm import LLM, SamplingParams

MODEL = "meta-llama/Llama-3.1-70B-Instruct"
TP = 8
MAX_LEN = 32 * 1024
BATCH = 256

ENGINE_KWARGS = {
    "gpu_memory_utilization": 0.92,
    "kv_cache_dtype": "fp8",
}


def main() -> None:
    llm = LLM(
        model=MODEL,
        tensor_parallel_size=TP,
        max_model_len=MAX_LEN,
        max_num_seqs=BATCH,
        dtype="bfloat16",
        enforce_eager=False,
        **ENGINE_KWARGS,
    )
    params = SamplingParams(temperature=0.7, max_tokens=512)
    prompts = [line.strip() for line in open("prompts.txt", encoding="utf-8")]
    for out in llm.generate(prompts, params):
        print(out.outputs[0].text)


if __name__ == "__main__":
    main()
