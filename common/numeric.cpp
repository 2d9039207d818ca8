// Implemented by the common/ module.
