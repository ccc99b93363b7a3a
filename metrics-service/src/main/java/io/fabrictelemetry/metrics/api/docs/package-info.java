/**
 * The API's OpenAPI description, served at {@code /v3/api-docs}: every route's parameters, answers and problems.
 */
@NullMarked
package io.fabrictelemetry.metrics.api.docs;

import org.jspecify.annotations.NullMarked;
