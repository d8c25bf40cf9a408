<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>ApprovalsPage</name>
    <message numerus="yes">
        <source>%n proposal(s) waiting for your approval</source>
        <translation>
            <numerusform>%n proposal waiting for your approval</numerusform>
            <numerusform>%n proposals waiting for your approval</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n result document(s) attached</source>
        <translation>
            <numerusform>%n result document attached</numerusform>
            <numerusform>%n result documents attached</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>BoardPage</name>
    <message numerus="yes">
        <source>%1: %n dossier(s)</source>
        <translation>
            <numerusform>%1: %n dossier</numerusform>
            <numerusform>%1: %n dossiers</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>BulkAssignDialog</name>
    <message numerus="yes">
        <source>Assign %n dossier(s)</source>
        <translation>
            <numerusform>Assign %n dossier</numerusform>
            <numerusform>Assign %n dossiers</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Choose the officer for %n dossier(s): %1</source>
        <translation>
            <numerusform>Choose the officer for %n dossier: %1</numerusform>
            <numerusform>Choose the officer for %n dossiers: %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n dossier(s) could not be assigned</source>
        <translation>
            <numerusform>%n dossier could not be assigned</numerusform>
            <numerusform>%n dossiers could not be assigned</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DossierWindow</name>
    <message numerus="yes">
        <source>%n change(s) you made were not sent; they are kept under rejected changes.</source>
        <translation>
            <numerusform>%n change you made was not sent; it is kept under rejected changes.</numerusform>
            <numerusform>%n changes you made were not sent; they are kept under rejected changes.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>QueuePage</name>
    <message numerus="yes">
        <source>%n dossier(s) waiting for an officer</source>
        <translation>
            <numerusform>%n dossier waiting for an officer</numerusform>
            <numerusform>%n dossiers waiting for an officer</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Remaining</name>
    <message numerus="yes">
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n day</numerusform>
            <numerusform>%n days</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n hour(s)</source>
        <translation>
            <numerusform>%n hour</numerusform>
            <numerusform>%n hours</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s)</source>
        <translation>
            <numerusform>%n minute</numerusform>
            <numerusform>%n minutes</numerusform>
        </translation>
    </message>
</context>
</TS>
