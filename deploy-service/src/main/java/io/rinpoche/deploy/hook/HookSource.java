package io.rinpoche.deploy.hook;

import io.rinpoche.deploy.hook.auth.Authenticator;

/**
 * A configured, validated source: its name in {@code /hooks/{name}}, its format, its authenticator,
 * and the registry host to pull from when it overrides what the payload says (null: keep the payload's).
 */
public record HookSource(String name, HookType type, Authenticator authenticator, String registry) {
}
