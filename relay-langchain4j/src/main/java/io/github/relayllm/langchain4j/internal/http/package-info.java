/**
 * Not API: the HTTP plumbing that the Ollama and OpenAI-compatible backends share (one pooled client, body line
 * readers for NDJSON and SSE, error mapping, finish reasons). Public only so that both backend packages can use it.
 */
package io.github.relayllm.langchain4j.internal.http;
