"""Batch inference on Modal: two H100s, tensor parallel, Qwen2.5 72B in AWQ."""
import modal

app = modal.App("batch-llm")
image = modal.Image.debian_slim().pip_install("vllm==0.10.1")

MODEL = "Qwen/Qwen2.5-72B-Instruct-AWQ"
N_GPU = 2


@app.cls(gpu=f"H100:{N_GPU}", image=image, timeout=3600)
class Generator:
    @modal.enter()
    def load(self):
        from vllm import LLM

        self.llm = LLM(
            model=MODEL,
            tensor_parallel_size=N_GPU,
            max_model_len=8192,
            gpu_memory_utilization=0.95,
        )

    @modal.method()
    def generate(self, prompts: list[str]) -> list[str]:
        return [o.outputs[0].text for o in self.llm.generate(prompts)]
