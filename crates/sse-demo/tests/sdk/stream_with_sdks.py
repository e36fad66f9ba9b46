#!/usr/bin/env python3
"""Stream from the mock endpoints with the official OpenAI and Anthropic Python SDKs.

    python3 stream_with_sdks.py BASE_URL PROMPT

Prints one JSON object: what each SDK assembled (text, plus finish/stop details and, for the
fault cases, the error class and message the SDK raised), and what it read from the non-streamed
answers.
"""
import json
import sys

import anthropic
import openai

base, prompt = sys.argv[1], sys.argv[2]
out = {}

oa = openai.OpenAI(base_url=base + "/v1", api_key="sk-mock", max_retries=0)

# Chat Completions: text deltas, [DONE], and the usage chunk with no choices.
text, finish = "", None
stream = oa.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": prompt}],
                                    stream=True, stream_options={"include_usage": True})
usage = None
for chunk in stream:
    for choice in chunk.choices:
        text += choice.delta.content or ""
        finish = choice.finish_reason or finish
    if chunk.usage is not None:
        usage = chunk.usage.total_tokens
out["openai_chat"] = {"text": text, "finish_reason": finish, "total_tokens": usage}

# Chat Completions with a tool: arguments merged by the SDK's helper.
with oa.chat.completions.stream(model="gpt-4o-mini", messages=[{"role": "user", "content": prompt}],
                                tools=[{"type": "function", "function": {"name": "search", "parameters": {"type": "object"}}}]) as s:
    final = s.get_final_completion()
call = final.choices[0].message.tool_calls[0]
out["openai_tool"] = {"name": call.function.name, "arguments": json.loads(call.function.arguments)}

# Responses: typed events.
text, status = "", None
for event in oa.responses.create(model="gpt-4o-mini", input=prompt, stream=True):
    if event.type == "response.output_text.delta":
        text += event.delta
    elif event.type == "response.completed":
        status = event.response.status
out["openai_responses"] = {"text": text, "status": status}

# Anthropic Messages: the SDK's own accumulation.
an = anthropic.Anthropic(base_url=base, api_key="sk-ant-mock", max_retries=0)
with an.messages.stream(model="claude-sonnet-4-5", max_tokens=256, messages=[{"role": "user", "content": prompt}]) as s:
    streamed = "".join(s.text_stream)
    message = s.get_final_message()
out["anthropic"] = {"text": streamed, "final_text": message.content[0].text, "stop_reason": message.stop_reason,
                    "output_tokens": message.usage.output_tokens}

# Non-streamed answers, read by the SDKs' own models.
whole = oa.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": prompt}])
tool = oa.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": prompt}],
                                  tools=[{"type": "function", "function": {"name": "search", "parameters": {"type": "object"}}}])
call = tool.choices[0].message.tool_calls[0]
out["openai_whole"] = {"text": whole.choices[0].message.content, "finish_reason": whole.choices[0].finish_reason,
                       "total_tokens": whole.usage.total_tokens,
                       "tool": {"content": tool.choices[0].message.content, "finish_reason": tool.choices[0].finish_reason,
                                "name": call.function.name, "arguments": json.loads(call.function.arguments)}}
whole = an.messages.create(model="claude-sonnet-4-5", max_tokens=256, messages=[{"role": "user", "content": prompt}])
tool = an.messages.create(model="claude-sonnet-4-5", max_tokens=256, messages=[{"role": "user", "content": prompt}],
                          tools=[{"name": "lookup", "input_schema": {"type": "object"}}])
out["anthropic_whole"] = {"text": whole.content[0].text, "stop_reason": whole.stop_reason,
                          "output_tokens": whole.usage.output_tokens,
                          "tool": {"types": [block.type for block in tool.content], "stop_reason": tool.stop_reason,
                                   "name": tool.content[1].name, "input": tool.content[1].input}}

# Faults: a mid-stream error must surface as an exception from each SDK.
def raised(fn):
    try:
        fn()
    except Exception as error:  # the SDKs raise their own APIError subclasses
        return type(error).__name__
    return None

def openai_midstream():
    for _ in oa.chat.completions.create(model="m", messages=[{"role": "user", "content": "x [fault:midstream-error]"}], stream=True):
        pass

def anthropic_midstream():
    with an.messages.stream(model="m", max_tokens=10, messages=[{"role": "user", "content": "x [fault:midstream-error]"}]) as s:
        for _ in s.text_stream:
            pass

def openai_429():
    oa.chat.completions.create(model="m", messages=[{"role": "user", "content": "x [fault:429]"}], stream=True)

out["faults"] = {"openai_midstream": raised(openai_midstream), "anthropic_midstream": raised(anthropic_midstream),
                 "openai_429": raised(openai_429)}
print(json.dumps(out))
