package dev.descent.examples.lab;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The network playground's sessions, one per browser tab id, at most {@code capacity} of them: opening one more evicts
 * the one used least recently (its tab gets "unknown session" on its next step and starts afresh).
 */
final class Sessions {
    private final Map<String, NetworkSession> byId;

    Sessions(int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("Sessions: capacity must be at least 1, got " + capacity);
        byId = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, NetworkSession> eldest) {
                return size() > capacity;
            }
        };
    }

    synchronized void put(String id, NetworkSession session) {
        byId.put(id, session);
    }

    /** The session of {@code id}, or null when there is none (never opened, or evicted). */
    synchronized NetworkSession get(String id) {
        return byId.get(id);
    }

    synchronized int size() {
        return byId.size();
    }
}
