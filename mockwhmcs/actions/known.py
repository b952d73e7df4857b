"""Every action a real WHMCS 8.12 answers, by the name its API reference gives it.

mockwhmcs answers a real action it does not implement yet differently from a name WHMCS does not know
at all (see ``wire/access.authorize``): telling a user that ``AddInvoicePayment`` "is not a valid API
action" would send them looking for a typo that is not there. The list is the titles of the pages in
WHMCS's API reference (``tests/test_known_actions.py`` checks it against them where they are at hand).
"""

from __future__ import annotations

from ..store.models import action_key

WHMCS_ACTIONS: tuple[str, ...] = (
    "AcceptOrder", "AcceptQuote", "ActivateModule", "AddAnnouncement", "AddBannedIp", "AddBillableItem",
    "AddCancelRequest", "AddClient", "AddClientNote", "AddContact", "AddCredit", "AddInvoicePayment",
    "AddOrder", "AddPayMethod", "AddProduct", "AddProjectMessage", "AddProjectTask", "AddTicketNote",
    "AddTicketReply", "AddTransaction", "AddUser", "AffiliateActivate", "ApplyCredit", "BlockTicketSender",
    "CancelOrder", "CapturePayment", "CloseClient", "CreateClientInvite", "CreateInvoice",
    "CreateOAuthCredential", "CreateOrUpdateTLD", "CreateProject", "CreateQuote", "CreateSsoToken",
    "DeactivateModule", "DecryptPassword", "DeleteAnnouncement", "DeleteClient", "DeleteContact",
    "DeleteOAuthCredential", "DeleteOrder", "DeletePayMethod", "DeleteProjectTask", "DeleteQuote",
    "DeleteTicket", "DeleteTicketNote", "DeleteTicketReply", "DeleteUserClient", "DomainGetLockingStatus",
    "DomainGetNameservers", "DomainGetWhoisInfo", "DomainRegister", "DomainRelease", "DomainRenew",
    "DomainRequestEPP", "DomainToggleIdProtect", "DomainTransfer", "DomainUpdateLockingStatus",
    "DomainUpdateNameservers", "DomainUpdateWhoisInfo", "DomainWhois", "EncryptPassword", "EndTaskTimer",
    "FraudOrder", "GenInvoices", "GetActivityLog", "GetAdminDetails", "GetAdminUsers", "GetAffiliates",
    "GetAnnouncements", "GetAutomationLog", "GetCancelledPackages", "GetClientGroups", "GetClientPassword",
    "GetClients", "GetClientsAddons", "GetClientsDetails", "GetClientsDomains", "GetClientsProducts",
    "GetConfigurationValue", "GetContacts", "GetCredits", "GetCurrencies", "GetEmails",
    "GetEmailTemplates", "GetHealthStatus", "GetInvoice", "GetInvoices",
    "GetModuleConfigurationParameters", "GetModuleQueue", "GetOrders", "GetOrderStatuses",
    "GetPaymentMethods", "GetPayMethods", "GetPermissionsList", "GetProducts", "GetProject", "GetProjects",
    "GetPromotions", "GetQuotes", "GetRegistrars", "GetServers", "GetStaffOnline", "GetStats",
    "GetSupportDepartments", "GetSupportStatuses", "GetTicket", "GetTicketAttachment", "GetTicketCounts",
    "GetTicketNotes", "GetTicketPredefinedCats", "GetTicketPredefinedReplies", "GetTickets",
    "GetTLDPricing", "GetToDoItems", "GetToDoItemStatuses", "GetTransactions", "GetUserPermissions",
    "GetUsers", "ListOAuthCredentials", "LogActivity", "MergeTicket", "ModuleChangePackage",
    "ModuleChangePw", "ModuleCreate", "ModuleCustom", "ModuleSuspend", "ModuleTerminate",
    "ModuleUnsuspend", "OpenTicket", "OrderFraudCheck", "PendingOrder", "ResetPassword", "SendAdminEmail",
    "SendEmail", "SendQuote", "SetConfigurationValue", "StartTaskTimer", "TriggerNotificationEvent",
    "UpdateAdminNotes", "UpdateAnnouncement", "UpdateClient", "UpdateClientAddon", "UpdateClientDomain",
    "UpdateClientProduct", "UpdateContact", "UpdateInvoice", "UpdateModuleConfiguration",
    "UpdateOAuthCredential", "UpdatePayMethod", "UpdateProject", "UpdateProjectTask", "UpdateQuote",
    "UpdateTicket", "UpdateTicketReply", "UpdateToDoItem", "UpdateTransaction", "UpdateUser",
    "UpdateUserPermissions", "UpgradeProduct", "ValidateLogin", "WhmcsDetails",
)

# The lookup key of each (``action_key``) and the name to show.
KNOWN: dict[str, str] = {action_key(name): name for name in WHMCS_ACTIONS}
