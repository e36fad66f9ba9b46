#!/usr/bin/env python3
"""Make one streamed request per step with the official OpenAI and Anthropic Python SDKs, each
step against its own base URL, and print what each SDK assembled.

    python3 stream_steps_with_sdks.py PROMPT STEP=BASE_URL [STEP=BASE_URL ...]

Steps: openai_chat, openai_tool, openai_responses, anthropic, anthropic_tool. Each step makes
exactly one HTTP request (no retries), in the order given, so a recording made through a proxy
holds one connection per step, and a replay of that connection alone can answer the step again.
BASE_URL is the server without `/v1`. The API keys are read from OPENAI_API_KEY and
ANTHROPIC_API_KEY (the SDKs send them as `Authorization: Bearer` and `x-api-key`).

Prints one JSON object: step -> what the SDK assembled (text, tool calls, finish/stop reason).
"""
import json
import os
import sys

import anthropic
import openai

prompt, steps = sys.argv[1], [arg.split("=", 1) for arg in sys.argv[2:]]
messages = [{"role": "user", "content": prompt}]


def oa(base):
    return openai.OpenAI(base_url=base + "/v1", api_key=os.environ["OPENAI_API_KEY"], max_retries=0)


def an(base):
    return anthropic.Anthropic(base_url=base, api_key=os.environ["ANTHROPIC_API_KEY"], max_retries=0)


def openai_chat(base):
    # Text deltas, [DONE], and the usage chunk with no choices.
    text, finish, usage = "", None, None
    for chunk in oa(base).chat.completions.create(model="gpt-4o-mini", messages=messages, stream=True,
                                                  stream_options={"include_usage": True}):
        for choice in chunk.choices:
            text += choice.delta.content or ""
            finish = choice.finish_reason or finish
        if chunk.usage is not None:
            usage = chunk.usage.total_tokens
    return {"text": text, "finish_reason": finish, "total_tokens": usage}


def openai_tool(base):
    # A streamed tool call, its arguments merged by the SDK's helper.
    tools = [{"type": "function", "function": {"name": "search", "parameters": {"type": "object"}}}]
    with oa(base).chat.completions.stream(model="gpt-4o-mini", messages=messages, tools=tools) as s:
        final = s.get_final_completion()
    choice = final.choices[0]
    return {"text": choice.message.content, "finish_reason": choice.finish_reason,
            "tool_calls": [{"id": call.id, "name": call.function.name,
                            "arguments": json.loads(call.function.arguments)}
                           for call in choice.message.tool_calls or []]}


def openai_responses(base):
    # Typed events.
    text, status = "", None
    for event in oa(base).responses.create(model="gpt-4o-mini", input=prompt, stream=True):
        if event.type == "response.output_text.delta":
            text += event.delta
        elif event.type == "response.completed":
            status = event.response.status
    return {"text": text, "status": status}


def anthropic_message(base, tools=None):
    # The SDK's own accumulation: text deltas, then the final message with its blocks.
    extra = {"tools": tools} if tools else {}
    with an(base).messages.stream(model="claude-sonnet-4-5", max_tokens=256, messages=messages, **extra) as s:
        streamed = "".join(s.text_stream)
        message = s.get_final_message()
    return {"text": streamed,
            "final_text": "".join(block.text for block in message.content if block.type == "text"),
            "stop_reason": message.stop_reason, "output_tokens": message.usage.output_tokens,
            "tool_calls": [{"id": block.id, "name": block.name, "arguments": block.input}
                           for block in message.content if block.type == "tool_use"]}


run = {
    "openai_chat": openai_chat,
    "openai_tool": openai_tool,
    "openai_responses": openai_responses,
    "anthropic": anthropic_message,
    "anthropic_tool": lambda base: anthropic_message(base, [{"name": "lookup", "input_schema": {"type": "object"}}]),
}
print(json.dumps({step: run[step](base) for step, base in steps}))
