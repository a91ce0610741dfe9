package io.pitaya.spring.component;

import java.util.Locale;

/** How Java names become the names in routes. */
public enum NamingStrategy {

    /** {@code getSessionData} stays {@code getSessionData}. */
    AS_WRITTEN {
        @Override
        public String apply(String javaName) {
            return javaName;
        }
    },

    /** {@code getSessionData} becomes {@code getsessiondata}, as Go pitaya servers usually register. */
    LOWERCASE {
        @Override
        public String apply(String javaName) {
            return javaName.toLowerCase(Locale.ROOT);
        }
    };

    /**
     * @param javaName a Java method or class name
     * @return the name in routes
     */
    public abstract String apply(String javaName);
}
