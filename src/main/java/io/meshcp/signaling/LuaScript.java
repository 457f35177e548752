package io.meshcp.signaling;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;

/** A Lua script sent by its SHA-1 once Redis knows it, and in full when it does not (a restarted Redis). */
record LuaScript(String source, String sha) {

    LuaScript(String source) {
        this(source, sha1(source));
    }

    <T> CompletionStage<T> run(RedisAsyncCommands<String, String> redis, ScriptOutputType type, String[] keys,
            String... arguments) {
        return redis.<T>evalsha(sha, type, keys, arguments).exceptionallyCompose(error ->
                error instanceof RedisNoScriptException || error.getCause() instanceof RedisNoScriptException
                        ? redis.<T>eval(source, type, keys, arguments)
                        : CompletableFuture.failedStage(error));
    }

    private static String sha1(String source) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(source.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
