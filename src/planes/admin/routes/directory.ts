import type Router from '@koa/router';
import type { PermissionService } from '../../../services/permissions.js';
import type { RoleService } from '../../../services/roles.js';
import type { ScopeService } from '../../../services/scopes.js';
import type { TotpEnrolmentService } from '../../../services/totp-enrolment.js';
import type { UserService } from '../../../services/users.js';
import { permissionRoutes, rolePermissionDtoRoute, roleRoutes } from './roles.js';
import { scopeRoutes } from './scopes.js';
import { userTotpRoutes } from './user-totp.js';
import { userRoutes } from './users.js';

/** The identity directory: users, roles, permissions, scopes and TOTP enrolment. */
export interface DirectoryServices {
  users: UserService;
  roles: RoleService;
  permissions: PermissionService;
  scopes: ScopeService;
  totp: TotpEnrolmentService;
}

/** Registration order matters where literal segments compete with parameters (admin-api.md §3). */
export function directoryRoutes(router: Router, s: DirectoryServices): void {
  userTotpRoutes(router, s.totp);
  userRoutes(router, s.users);
  roleRoutes(router, s.roles);
  permissionRoutes(router, s.permissions);
  rolePermissionDtoRoute(router, s.roles);
  scopeRoutes(router, s.scopes);
}
