/** Routing data in memory, trusted while the database's routing generation stands still (issue 14). */
@org.springframework.modulith.NamedInterface("memory")
package io.callcenter.routing.memory;
