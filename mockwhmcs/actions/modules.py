"""Services and their provisioning modules: ModuleCreate … ModuleTerminate, UpdateClientProduct, addons,
OrderFraudCheck."""
