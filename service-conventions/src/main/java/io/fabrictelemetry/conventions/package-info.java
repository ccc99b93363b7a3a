/**
 * The conventions both services follow, written once: how entity tags are made and compared, the one
 * time format of their answers, and what a service says at startup about its configuration file.
 */
@NullMarked
package io.fabrictelemetry.conventions;

import org.jspecify.annotations.NullMarked;
