package io.quasid.ab;

import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;

/** Which arm a user sees: a salted hash of the user id mapped to [0, 1), treatment below {@code split}. */
public final class Assignment {
    private Assignment() {}

    /** A uniform number in [0, 1) fixed by salt and user: the first 53 bits of SHA-256(salt + '\0' + user). */
    static double unit(String salt, String userId) {
        long bits = Hashing.sha256().hashString(salt + '\0' + userId, StandardCharsets.UTF_8).asLong();
        return (bits >>> 11) * 0x1.0p-53;
    }

    public static String arm(Experiment experiment, String userId) {
        return unit(experiment.salt(), userId) < experiment.split() ? Experiment.TREATMENT : Experiment.CONTROL;
    }
}
