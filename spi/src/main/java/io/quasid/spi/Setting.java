package io.quasid.spi;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The help text of one setting: on a component of a config record that a {@link ConfigScope} parses. */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.PARAMETER, ElementType.FIELD, ElementType.METHOD})
public @interface Setting {
    /** What the setting does, its unit or range, in one sentence. */
    String value();
}
