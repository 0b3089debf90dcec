/**
 * Not API: what the in-process engines (the llama.cpp module and the pure-Java module) share: stop-string matching
 * on generated text and the context-room check. Public only so that both engine modules can use it.
 */
package io.github.relayllm.langchain4j.internal.inprocess;
