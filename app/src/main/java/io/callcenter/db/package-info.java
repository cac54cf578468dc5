/**
 * jOOQ classes generated at build time from {@code migrations/} (see tools/schema-codegen); nothing here is
 * committed but this file. Open to every module, but only repositories may use it (ArchitectureTest): the rest of
 * the application speaks in its own records.
 */
@org.springframework.modulith.ApplicationModule(type = org.springframework.modulith.ApplicationModule.Type.OPEN)
package io.callcenter.db;
