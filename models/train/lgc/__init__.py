"""Training pipeline for the Local GPT Completion default model (torch, onnx, numpy, regex only)."""
