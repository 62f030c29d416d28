"""RAG answerer on a laptop: LangChain's LlamaCpp wrapper, sizes from command-line options."""
import argparse

from langchain_community.llms import LlamaCpp

parser = argparse.ArgumentParser()
parser.add_argument("--model-path", default="models/qwen2.5-7b-instruct-q5_k_m.gguf")
parser.add_argument("--ctx", type=int, default=16384)
parser.add_argument("--gpu-layers", dest="n_gpu_layers", type=int, default=20)
parser.add_argument("--threads", type=int)
args = parser.parse_args()

llm = LlamaCpp(
    model_path=args.model_path,
    n_ctx=args.ctx,
    n_gpu_layers=args.n_gpu_layers,
    n_threads=args.threads,
    temperature=0.2,
    model_kwargs={"type_k": 8, "flash_attn": True},
)
print(llm.invoke("What does decode bandwidth mean?"))
