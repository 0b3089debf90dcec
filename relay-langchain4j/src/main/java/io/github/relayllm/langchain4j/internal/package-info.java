/**
 * Not API: helpers that the relay's own packages and modules share (argument checks, answer parsing, tool JSON).
 * They are public only so that those modules can reach them; they may change in any release.
 */
package io.github.relayllm.langchain4j.internal;
